"""carbon: carbon-footprint tracking for the coached programmes of Cluster Montagne."""

__version__ = "0.1.0"
