"""Sources turn a provider's view of the estate into the normalised model."""
