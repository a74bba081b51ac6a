"""The AWS source (boto3 is imported only when this package is, i.e. when AWS is read)."""

from resilience.sources.aws.source import AwsSource

__all__ = ["AwsSource"]
