"""Every shared dataset by name, and the table a request's OData options run over."""

from __future__ import annotations

from sqlalchemy import FromClause
from sqlalchemy.ext.asyncio import AsyncSession

from service.share import aggregates, datasets
from service.share.datasets import Dataset

DATASETS: dict[str, Dataset] = {**datasets.DATASETS, **aggregates.DATASETS}


async def table_of(db: AsyncSession, dataset: Dataset) -> FromClause:
    """The dataset's shared columns as one table: its select, or its aggregate computed now."""
    if dataset.source is not None:
        return await dataset.source(db)
    assert dataset.select is not None  # noqa: S101 - every dataset has one of the two
    return dataset.select().subquery(dataset.name)
