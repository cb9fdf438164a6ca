import operator

import pytest

from fcspace.core.errors import ConfigError
from fcspace.core.parallel import dask_client, run_batch


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
