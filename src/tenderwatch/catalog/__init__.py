"""数据共享清单 — the catalogue of source datasets (declared once in ``datasets.yaml``)."""

from tenderwatch.catalog.schemas import Catalog, Dataset, Field, Reference
from tenderwatch.catalog.service import get_catalog

__all__ = ["Catalog", "Dataset", "Field", "Reference", "get_catalog"]
