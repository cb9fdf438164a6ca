import operator
import sys

import cloudpickle
import pytest

from fcspace.core.errors import ConfigError
from fcspace.core.parallel import (
    DASHBOARD_UNAVAILABLE,
    bokeh_available,
    dashboard_link,
    dask_client,
    map_completed,
    run_batch,
)


def test_single_task_runs_in_process():
    with dask_client(1) as client:
        assert client is None
    assert run_batch(operator.neg, [3], progress=False) == [-3]


def test_many_tasks_on_local_cluster_keep_order():
    out = run_batch(operator.neg, list(range(6)), n_workers=1, progress=False)
    assert out == [0, -1, -2, -3, -4, -5]


def test_unreachable_scheduler_is_a_config_error():
    with pytest.raises(ConfigError, match="127.0.0.1:1"), dask_client(2, "tcp://127.0.0.1:1"):
        pass


# LocalCluster workers are spawned processes that cannot import this test module.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _fail_on_odd(x: int) -> int:
    if x % 2:
        raise ValueError(f"odd {x}")
    return x


def test_map_completed_in_process_yields_errors_with_their_index():
    outcomes = sorted(map_completed(None, _fail_on_odd, [0, 1, 2]), key=lambda t: t[0])
    assert [(i, r) for i, r, _ in outcomes] == [(0, 0), (1, None), (2, 2)]
    assert isinstance(outcomes[1][2], ValueError) and str(outcomes[1][2]) == "odd 1"
    assert outcomes[0][2] is None and outcomes[2][2] is None


def test_map_completed_on_a_cluster_and_run_batch_raise_after_all_ran():
    with dask_client(4, n_workers=1) as client:
        outcomes = {i: (r, e) for i, r, e in map_completed(client, _fail_on_odd, [0, 1, 2, 3])}
        assert dashboard_link(client) == (
            str(client.dashboard_link) if bokeh_available() else DASHBOARD_UNAVAILABLE
        )
    assert {i: r for i, (r, _) in outcomes.items()} == {0: 0, 1: None, 2: 2, 3: None}
    assert str(outcomes[3][1]) == "odd 3"
    with pytest.raises(ValueError, match="odd 1"):
        run_batch(_fail_on_odd, [1], progress=False)


def test_no_client_has_no_dashboard():
    assert (
        dashboard_link(None) == DASHBOARD_UNAVAILABLE == "dashboard not available (install bokeh)"
    )
