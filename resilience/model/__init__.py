"""The estate model and its vocabularies."""

from resilience.model.enums import (
    AccountKind,
    CopyKind,
    DataKind,
    Domain,
    Hosting,
    Provider,
    Severity,
    Status,
    SystemKind,
)
from resilience.model.estate import (
    SCHEMA_VERSION,
    AccessKey,
    Account,
    BackupCopy,
    CollectionGap,
    Estate,
    ManualFallback,
    Organisation,
    PasswordPolicy,
    Plan,
    Service,
    SourceRef,
    SourceRun,
    Supplier,
    System,
    TrustDomain,
)

__all__ = [
    "SCHEMA_VERSION", "AccessKey", "Account", "AccountKind", "BackupCopy", "CollectionGap",
    "CopyKind", "DataKind", "Domain", "Estate", "Hosting", "ManualFallback", "Organisation",
    "PasswordPolicy", "Plan", "Provider", "Service", "Severity", "SourceRef", "SourceRun",
    "Status", "Supplier", "System", "SystemKind", "TrustDomain",
]
