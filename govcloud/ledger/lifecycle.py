"""What a ledger's records say about the age of what they describe: operating systems past
their vendor's end of support.  The planner (a server on one needs a new OS: replatform) and
the baseline (``eol_os`` of a server's view) read the one list kept here."""

from __future__ import annotations

#: operating systems past their vendor's end of support, as the start of the ``os`` a ledger
#: records (compared without case)
EOL_OS_PREFIXES: tuple[str, ...] = (
    "centos 5",
    "centos 6",
    "centos 7",
    "rhel 5",
    "rhel 6",
    "red hat enterprise linux 6",
    "windows server 2003",
    "windows server 2008",
    "windows server 2012",
    "ubuntu 14",
    "ubuntu 16",
)


def eol_os(os_name: str | None) -> bool | None:
    """Whether the recorded OS is past its end of support; None when none is recorded.

    >>> eol_os("CentOS 7.9"), eol_os("Kylin V10"), eol_os(None)
    (True, False, None)
    """
    if not os_name:
        return None
    return os_name.casefold().startswith(EOL_OS_PREFIXES)
