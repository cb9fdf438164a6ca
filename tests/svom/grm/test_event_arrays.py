"""GRM event lists as plain arrays (EventArrays): same content, same triggers, no xarray."""

import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.grm.io import (
    EventArrays,
    event_list,
    read_event_arrays,
    read_events,
    write_events,
)
from fcspace.svom.grm.simulate import GrbTruth, simulate_events
from fcspace.svom.grm.trigger import run_trigger
from fcspace.testing.data import shared_file

GBM_TTE = "svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit"


def test_build_then_dataset_equals_event_list():
    rng = np.random.default_rng(3)
    t = rng.uniform(0.0, 10.0, 500)
    args = (t, rng.integers(0, 3, 500), rng.integers(0, 8, 500), rng.uniform(10, 900, 500),
            np.linspace(8.0, 1000.0, 9), [[0.0, 10.0]], ["a", "b", "c"])
    ds = event_list(*args, instrument="GRM")
    arrays = EventArrays.build(*args, instrument="GRM")
    assert np.all(np.diff(arrays.time) >= 0)
    assert arrays.to_dataset().identical(ds)
    back = EventArrays.from_dataset(ds)
    assert back.detector_names == ("a", "b", "c") and back.attrs == ds.attrs
    for name in ("time", "detector", "energy", "channel"):
        assert np.array_equal(getattr(back, name), ds[name].values)
    assert np.array_equal(back.e_edges, np.linspace(8.0, 1000.0, 9))
    assert np.array_equal(back.gti, [[0.0, 10.0]])


def test_trigger_on_arrays_equals_trigger_on_dataset(tmp_path):
    grb = GrbTruth(t0_met=60.0, theta_deg=20.0, phi_deg=45.0, peak_flux=20.0, epeak_kev=250.0)
    ds = simulate_events(90.0, grb, rng=4)
    path = write_events(ds, tmp_path / "ev.nc")
    on_ds = run_trigger(read_events(path))
    assert on_ds, "the simulated burst triggers"
    assert run_trigger(read_event_arrays(path)) == on_ds
    assert run_trigger(EventArrays.from_dataset(ds)) == run_trigger(ds)


@pytest.mark.shared_data
def test_gbm_tte_read_as_arrays_equals_the_dataset_reader():
    path = shared_file(GBM_TTE)
    if not path.exists():
        pytest.skip("real GBM TTE absent")
    arrays, ds = read_event_arrays(path), read_events(path)
    assert arrays.to_dataset().identical(ds)
    (trig,) = run_trigger(arrays)
    assert trig == run_trigger(ds)[0]
    assert abs(trig["t_minus_trigtime_s"] - 0.0149) < 1e-4 and trig["timescale_s"] == 0.016


def test_missing_or_foreign_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_event_arrays(tmp_path / "none.fit")
    junk = tmp_path / "junk.fit"
    junk.write_bytes(b"hello world")
    with pytest.raises(InputError, match="neither a FITS"):
        read_event_arrays(junk)
