"""Entry point of the policy pack: ``pulumi preview --policy-pack <this folder>``."""

from pulumi_policy import EnforcementLevel, PolicyPack

from policies import policies

PolicyPack(name="govcloud-baseline", enforcement_level=EnforcementLevel.MANDATORY, policies=policies())
