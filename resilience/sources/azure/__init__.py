"""The Azure source package; ``AzureSource`` is its entry point (SDKs load only on collect)."""

from resilience.sources.azure.source import AzureSource

__all__ = ["AzureSource"]
