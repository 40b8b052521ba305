"""tenderwatch — 招投标智慧监管监督系统: big-data supervision of public bidding."""

__version__ = "0.1.0"
