"""Every shared dataset by name: the shared selects and the aggregated datasets."""

from __future__ import annotations

from service.share import aggregates
from service.share.repository import datasets
from service.share.repository.datasets import Dataset, table_of

DATASETS: dict[str, Dataset] = {**datasets.DATASETS, **aggregates.DATASETS}
__all__ = ["DATASETS", "Dataset", "table_of"]
