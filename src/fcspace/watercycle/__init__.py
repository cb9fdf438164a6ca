"""The CNES-CNSA water-cycle mission: an end-to-end simulator and ground processor.

An L-band aperture-synthesis (interferometric) radiometer for soil moisture and ocean salinity
(SMOS/MIRAS heritage and the CNES SMOS-HR concept) and X/Ka channels for snow (WCOM heritage):
from a geophysical scene to visibilities, images and retrieved soil moisture, salinity and snow
water equivalent, validated on real SMOS and SMAP files. No joint design is published: the
instrument numbers are the SMOS ones (the reference) and stated assumptions
(:mod:`fcspace.watercycle.instrument`).
"""
