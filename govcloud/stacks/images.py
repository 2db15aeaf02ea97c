"""Which image a server boots in the cloud: one per OS family and CPU architecture.

A server's recorded OS names its family (信创 Kylin and UOS among them); the image is the
cloud node's catalogue entry for that family and architecture when the price list has one,
else a configuration key ops set (``imageId-<family>-<arch>``), listed in the stack README.
"""

from __future__ import annotations

import functools

from govcloud.ledger import model
from govcloud.ledger.choices import OS_FAMILY
from govcloud.stacks.spec import Stack, config, secret

#: words in a recorded OS name → family, first match wins (checked case-insensitively)
_FAMILY_WORDS = (
    ("windows", "windows"),
    ("kylin", "kylin"),
    ("麒麟", "kylin"),
    ("uos", "uos"),
    ("统信", "uos"),
    ("openeuler", "openeuler"),
    ("euler", "openeuler"),
    ("centos", "centos"),
    ("rhel", "rhel"),
    ("red hat", "rhel"),
    ("ubuntu", "ubuntu"),
)


@functools.lru_cache(maxsize=1024)
def os_family(os_name: str | None) -> str:
    """The family of a recorded OS name; ``linux`` when nothing more specific is known."""
    text = (os_name or "").casefold()
    for word, family in _FAMILY_WORDS:
        if word in text:
            return family
    return "linux"


def is_windows(family: str) -> bool:
    return family == "windows"


def config_key(family: str, arch: str) -> str:
    """The configuration key of the image ops choose for a family and architecture."""
    return f"imageId-{family}-{arch}"


def catalogue(ledger: model.Ledger, node: str) -> dict[tuple[str, str], str]:
    """(family, arch) → image id from the price list's image catalogue for ``node``."""
    return {(i.os_family, i.arch): i.image_id for i in ledger.prices.images if i.cloud_node == node}


def families() -> tuple[str, ...]:
    return OS_FAMILY.values


def login(
    stack: Stack, family: str, password_prop: str, key_prop: str, key_setting: str
) -> dict[str, object]:
    """How an instance of ``family`` is logged into, as the provider's properties: Windows takes
    its Administrator password from secret configuration (a key pair is no use to it), others
    the operators' SSH key pair, named by ``key_setting``."""
    prop, value = _login(stack, family, password_prop, key_prop, key_setting)
    return {prop: value}


def _login(
    stack: Stack, family: str, password_prop: str, key_prop: str, key_setting: str
) -> tuple[str, dict[str, str]]:
    if is_windows(family):
        password = stack.needs(
            "windowsAdminPassword",
            "<the Administrator password>",
            "Administrator password of Windows servers",
            secret=True,
        )
        return password_prop, secret(password)
    return key_prop, config(stack.needs(key_setting, "govcloud-ops", "the SSH key pair of Linux servers"))


class ForStack:
    """The images and logins of one stack's servers, by :func:`catalogue` and :func:`login`:
    the catalogue read once, and each configuration key declared once, by the first server
    that needs it (a stack holds up to hundreds of servers of a few families).  Each server
    gets its own reference to configuration, as from the functions."""

    def __init__(
        self,
        stack: Stack,
        ledger: model.Ledger,
        node: str,
        password_prop: str,
        key_prop: str,
        key_setting: str,
    ) -> None:
        self.stack = stack
        self.known = catalogue(ledger, node)
        self._login_props = (password_prop, key_prop, key_setting)
        self._keys: dict[tuple[str, str], str] = {}
        self._logins: dict[str, tuple[str, dict[str, str]]] = {}

    def image(self, family: str, arch: str) -> object:
        """The catalogue's image id, else a reference to the configuration key ops set."""
        image = self.known.get((family, arch))
        if image is not None:
            return image
        key = self._keys.get((family, arch))
        if key is None:
            key = self._keys[(family, arch)] = self.stack.needs(
                config_key(family, arch),
                f"<{family} {arch} image id>",
                f"the {family} image for {arch} servers",
            )
        return config(key)

    def login(self, family: str) -> tuple[str, dict[str, str]]:
        """The property a server of ``family`` is logged into by, and its value."""
        found = self._logins.get(family)
        if found is None:
            found = self._logins[family] = _login(self.stack, family, *self._login_props)
        prop, value = found
        return prop, dict(value)
