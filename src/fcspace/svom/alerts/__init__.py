"""SVOM alerts: read, write and build VOEvent 2.0 notices and GCN JSON trigger notices.

Notices as the SVOM French Science Center (FSC) publishes them on the GCN Kafka topics
``gcn.notices.svom.voevent.{eclairs,grm,mxt}``. One module per job:

* :mod:`~fcspace.svom.alerts.model`: the frozen :class:`Alert` (Params, Groups, typed views)
  and its plain-JSON summary;
* :mod:`~fcspace.svom.alerts.voevent`: safe VOEvent 2.0 reading and atomic writing;
* :mod:`~fcspace.svom.alerts.notice_tree`: the safe XML parse and the strings read from it;
* :mod:`~fcspace.svom.alerts.layouts`: notices of a layout seen before, read without a tree;
* :mod:`~fcspace.svom.alerts.gcn`: GCN JSON (SVOM ``trigger.schema.json``) writing and offline
  validation;
* :mod:`~fcspace.svom.alerts.build`: making an alert from a localisation
  (:func:`make_alert`, ECLAIRs error radius);
* :mod:`~fcspace.svom.alerts.sky`: Galactic coordinates, Moon and Sun angles;
* :mod:`~fcspace.svom.alerts.isotime`: ISO 8601 UTC parsing and formatting;
* :mod:`~fcspace.svom.alerts.checks`: the range of every numeric field of a read notice, and
  the checked GCN JSON reader :func:`read_gcn_json`.

References
----------
IVOA, "Sky Event Reporting Metadata Version 2.0" (VOEvent 2.0), Recommendation 2011-07-11,
https://www.ivoa.net/documents/VOEvent/.
GCN, SVOM notices documentation, https://gcn.nasa.gov/missions/svom, and the SVOM trigger
JSON schema ``gcn/notices/svom/trigger.schema.json`` (nasa-gcn/gcn-schema).
Wei, J. et al. (2016), "The Deep and Transient Universe in the SVOM Era", arXiv:1610.06892
(ECLAIRs localisation accuracy).
"""

from fcspace.svom.alerts.build import eclairs_r90_deg, make_alert
from fcspace.svom.alerts.checks import read_gcn_json
from fcspace.svom.alerts.gcn import (
    gcn_schema_registry,
    to_gcn_json,
    validate_gcn_json,
    write_gcn_json,
)
from fcspace.svom.alerts.model import PACKET_TYPES, Alert, Group, Param, alert_to_dict, with_params
from fcspace.svom.alerts.sky import sky_angles
from fcspace.svom.alerts.voevent import (
    read_voevent,
    read_voevents,
    voevent_bytes,
    write_voevent,
)

__all__ = [
    "PACKET_TYPES",
    "Alert",
    "Group",
    "Param",
    "alert_to_dict",
    "eclairs_r90_deg",
    "gcn_schema_registry",
    "make_alert",
    "read_gcn_json",
    "read_voevent",
    "read_voevents",
    "sky_angles",
    "to_gcn_json",
    "validate_gcn_json",
    "voevent_bytes",
    "with_params",
    "write_gcn_json",
    "write_voevent",
]
