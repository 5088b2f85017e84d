"""`python -m jarida.monitoring.multiproc`: empty `<data dir>/metrics` and print its path.

The run target exports the path as PROMETHEUS_MULTIPROC_DIR before starting the workers;
prometheus_client wants the folder emptied at every start (old pids' files would count).
"""

import shutil

from jarida.paths import data_dir


def reset() -> str:
    folder = data_dir() / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return str(folder)


if __name__ == "__main__":
    print(reset())
