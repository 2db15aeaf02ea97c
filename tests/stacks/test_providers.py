"""The registry of cloud providers: every provider complete, its stacks checked by the baseline."""

from __future__ import annotations

from govcloud.baseline.rules import load_packs, load_rules, unchecked_types
from govcloud.ledger.choices import CLOUD_PROVIDER
from govcloud.stacks.emit import project_files
from govcloud.stacks.providers import PROVIDERS, Provider
from tests.stacks import sample


def test_the_ledgers_provider_enumeration_is_the_registry() -> None:
    assert CLOUD_PROVIDER.values == PROVIDERS.names()


def test_every_providers_stacks_are_checked_by_the_to_be_rules() -> None:
    assert unchecked_types(load_rules(), load_packs()) == {}


def test_the_declared_types_are_what_the_sample_emits_and_pins_the_providers_sdk() -> None:
    by_provider: dict[str, set[str]] = {}
    for stack in sample.stacks().values():
        by_provider.setdefault(stack.provider, set()).update(r.type for r in stack.resources)
        assert PROVIDERS[stack.provider].sdk in project_files(stack)["requirements.txt"]
    assert set(by_provider) == set(PROVIDERS.names())  # the sample has a node on each provider
    for name, types in by_provider.items():
        assert set(PROVIDERS[name].checked_types) <= types, name


def test_a_provider_registered_without_rules_is_named_as_unchecked() -> None:
    alicloud = PROVIDERS["alicloud"]
    dummy = Provider(
        "test-dummy",
        alicloud.foundation,
        alicloud.wave,
        sdk="pulumi-test-dummy==1.0",
        instance="test-dummy:compute/instance:Instance",
        network=alicloud.network,  # a type the pack checks is not reported
        security_group="test-dummy:net/group:Group",
        security_group_rule="test-dummy:net/rule:Rule",
    )
    with PROVIDERS.extended("test-dummy", dummy):
        assert unchecked_types(load_rules(), load_packs()) == {
            "test-dummy": [
                "test-dummy:compute/instance:Instance",
                "test-dummy:net/group:Group",
                "test-dummy:net/rule:Rule",
            ]
        }
    assert unchecked_types(load_rules(), load_packs()) == {}
