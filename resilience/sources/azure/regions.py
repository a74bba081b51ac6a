"""Azure region pairs: where geo-redundant storage and backups keep their second copy."""

from __future__ import annotations

# Microsoft's published region pairs (one-way pairs map only the way they go). Regions
# without a pair (e.g. Qatar Central, Poland Central, Italy North) are absent: their
# geo-redundant data, where offered, goes where the service says (secondaryLocation).
_PAIRS = {
    "eastus": "westus", "westus": "eastus",
    "eastus2": "centralus", "centralus": "eastus2",
    "northcentralus": "southcentralus", "southcentralus": "northcentralus",
    "westus2": "westcentralus", "westcentralus": "westus2",
    "westus3": "eastus",
    "canadacentral": "canadaeast", "canadaeast": "canadacentral",
    "brazilsouth": "southcentralus",
    "northeurope": "westeurope", "westeurope": "northeurope",
    "uksouth": "ukwest", "ukwest": "uksouth",
    "francecentral": "francesouth", "francesouth": "francecentral",
    "germanywestcentral": "germanynorth", "germanynorth": "germanywestcentral",
    "switzerlandnorth": "switzerlandwest", "switzerlandwest": "switzerlandnorth",
    "norwayeast": "norwaywest", "norwaywest": "norwayeast",
    "swedencentral": "swedensouth", "swedensouth": "swedencentral",
    "uaenorth": "uaecentral", "uaecentral": "uaenorth",
    "southafricanorth": "southafricawest", "southafricawest": "southafricanorth",
    "australiaeast": "australiasoutheast", "australiasoutheast": "australiaeast",
    "australiacentral": "australiacentral2", "australiacentral2": "australiacentral",
    "eastasia": "southeastasia", "southeastasia": "eastasia",
    "japaneast": "japanwest", "japanwest": "japaneast",
    "koreacentral": "koreasouth", "koreasouth": "koreacentral",
    "centralindia": "southindia", "southindia": "centralindia", "westindia": "southindia",
    "chinanorth": "chinaeast", "chinaeast": "chinanorth",
    "chinanorth2": "chinaeast2", "chinaeast2": "chinanorth2",
    "chinanorth3": "chinaeast3", "chinaeast3": "chinanorth3",
    "usgovvirginia": "usgovtexas", "usgovtexas": "usgovarizona", "usgovarizona": "usgovtexas",
}


def paired_region(location: str | None) -> str | None:
    """The region paired with ``location``, or None when it has no pair (or is unknown)."""
    if not location:
        return None
    return _PAIRS.get(location.replace(" ", "").lower())
