"""What every part of the NetBox importer shares: the objects of a NetBox estate by model and
primary key (the shape of its database dump), and the error of a file that is not NetBox's."""

from __future__ import annotations

from typing import Any

from govcloud.errors import GovcloudError

Objects = dict[str, dict[int, dict[str, Any]]]


class NetboxError(GovcloudError, ValueError):
    """A file that is not a NetBox dump."""

    kind = "netbox"
