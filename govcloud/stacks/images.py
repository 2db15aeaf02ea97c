"""Which image a server boots in the cloud: one per OS family and CPU architecture.

A server's recorded OS names its family (信创 Kylin and UOS among them); the image is the
cloud node's catalogue entry for that family and architecture when the price list has one,
else a configuration key ops set (``imageId-<family>-<arch>``), listed in the stack README.
"""

from __future__ import annotations

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
    if is_windows(family):
        password = stack.needs(
            "windowsAdminPassword",
            "<the Administrator password>",
            "Administrator password of Windows servers",
            secret=True,
        )
        return {password_prop: secret(password)}
    return {key_prop: config(stack.needs(key_setting, "govcloud-ops", "the SSH key pair of Linux servers"))}
