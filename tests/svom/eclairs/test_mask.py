import numpy as np
import pytest

from fcspace.core.errors import InputError
from fcspace.svom.eclairs.mask import (
    autocorrelation_sidelobe,
    is_self_supporting,
    make_mask,
    random_mask,
)


def test_default_mask_properties():
    m = make_mask()
    assert m.shape == (46, 46) and m.dtype == bool
    assert m.sum() == round(0.4 * 46 * 46)
    assert is_self_supporting(m)


def test_seed_reproducible_and_cached_copy():
    a = make_mask(0)
    a[0, 0] = not a[0, 0]  # a copy: the cache is not modified
    np.testing.assert_array_equal(make_mask(0), make_mask(seed=0))
    assert make_mask(0)[0, 0] != a[0, 0]
    b = make_mask(1, n=20)
    assert not np.array_equal(make_mask(2, n=20), b)
    np.testing.assert_array_equal(make_mask(1, n=20), b)


def test_sidelobe_lower_than_random():
    rng = np.random.default_rng(5)
    rand = [autocorrelation_sidelobe(random_mask(rng)) for _ in range(10)]
    opt = autocorrelation_sidelobe(make_mask())
    assert opt < 0.8 * min(rand)


def test_other_sizes_and_fractions():
    m = make_mask(3, n=24, open_fraction=0.5)
    assert m.sum() == 288 and is_self_supporting(m)


def test_is_self_supporting_definition():
    m = np.ones((5, 5), bool)
    m[2, 2] = False  # isolated closed element
    assert not is_self_supporting(m)
    m[2, 3] = False  # now two touching closed elements
    assert is_self_supporting(m)
    m2 = np.ones((5, 5), bool)
    m2[1, 1] = m2[2, 2] = False  # diagonal contact does not count
    assert not is_self_supporting(m2)
    with pytest.raises(InputError):
        is_self_supporting(np.ones(5, bool))


def test_sidelobe_of_trivial_patterns():
    m = np.zeros((8, 8), bool)
    m[::2] = True  # stripes: strongly periodic, high sidelobes
    assert autocorrelation_sidelobe(m) > 0.1


def test_bad_arguments():
    with pytest.raises(InputError):
        make_mask(n=2)
    with pytest.raises(InputError):
        make_mask(open_fraction=0.95)
