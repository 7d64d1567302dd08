"""The mapping rule's model: one test per rule, messages in the reader's language."""

from __future__ import annotations

import pytest

from carbon.i18n import use_locale
from carbon.inputs.mapping_rule import MappingRuleIn
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated

# The library the caller passes: one monetary ratio, one physical factor.
LIBRARY = {
    "factor_units": {"bundled:money-food": "k€ HT", "bundled:elec-fr-2022": "kWh"},
    "library": "bundled-test",
}
GOOD = {"prefix": "6011", "treatment": "spend", "poste": "4.1", "factor_id": "bundled:money-food"}


def errors(context: dict[str, object] | None = None, **changes: str) -> dict[str, str]:
    with use_locale("en"), pytest.raises(InputError) as refused:
        validated(MappingRuleIn, {**GOOD, **changes}, LIBRARY if context is None else context)
    return refused.value.errors


def test_a_good_spend_rule() -> None:
    rule = validated(
        MappingRuleIn,
        {**GOOD, "overlaps": " purchases-food | meals- ", "label": " Raw food ", "version_id": "3"},
        LIBRARY,
    )
    assert (rule.prefix, rule.treatment, rule.poste, rule.factor_id) == (
        "6011", "spend", "4.1", "bundled:money-food",
    )  # fmt: skip
    assert rule.overlaps == "purchases-food|meals-"
    assert rule.overlap_tuple() == ("purchases-food", "meals-")
    assert rule.label == "Raw food"


@pytest.mark.parametrize("prefix", ["", "60a", "６０", "²", "123456789", "6 0", "-60"])
def test_a_prefix_is_one_to_eight_ascii_digits(prefix: str) -> None:
    assert "prefix" in errors(prefix=prefix)


@pytest.mark.parametrize("prefix", ["1", "401", "512", "706", "8"])
def test_only_class_2_and_6_accounts_are_mapped(prefix: str) -> None:
    assert errors(prefix=prefix)["prefix"] == (
        f"Account prefix: '{prefix}' is not a purchase (class 6) or investment (class 2) account."
    )


@pytest.mark.parametrize("prefix", ["2", "6", "2183", "60612345"])
def test_class_2_and_6_prefixes_of_any_length_up_to_eight(prefix: str) -> None:
    assert validated(MappingRuleIn, {**GOOD, "prefix": prefix}, LIBRARY).prefix == prefix


def test_a_spend_rule_needs_a_poste_and_a_known_monetary_factor() -> None:
    assert set(errors(poste="", factor_id="")) == {"poste", "factor_id"}
    assert errors(poste="4.9")["poste"].startswith("Poste: unknown BEGES poste '4.9'")
    unknown = errors(factor_id="bundled:nope")["factor_id"]
    assert unknown == (
        "Factor identifier: unknown emission factor 'bundled:nope' in the library bundled-test."
    )
    assert (
        "not a monetary ratio (its unit is 'kWh')"
        in errors(factor_id="bundled:elec-fr-2022")["factor_id"]
    )
    # Without a library in the context, no factor is known: refused, never let through.
    assert "factor_id" in errors(context={})


def test_other_treatments_need_no_factor_and_drop_one_given() -> None:
    physical = validated(
        MappingRuleIn,
        {"prefix": "6061", "treatment": "physical", "poste": "", "factor_id": "bundled:x",
         "physical_hint": "kWh from the bills"},
        LIBRARY,
    )  # fmt: skip
    assert (physical.poste, physical.factor_id) == (None, None)
    excluded = validated(MappingRuleIn, {"prefix": "64", "treatment": "excluded"}, LIBRARY)
    assert excluded.treatment == "excluded"
    assert "treatment" in errors(treatment="ignore")


def test_overlaps_name_activities_of_the_catalogue() -> None:
    assert "overlaps" in errors(overlaps="purchases-food|no-such-activity")
    assert "overlaps" in errors(overlaps="zzz-")  # a prefix that starts no activity
    assert validated(MappingRuleIn, {**GOOD, "overlaps": "capex-"}, LIBRARY).overlaps == "capex-"


def test_texts_are_bounded_and_unknown_fields_refused() -> None:
    assert "label" in errors(label="x" * 201)
    assert "note" in errors(note="x" * 2001)
    assert "colour" in errors(colour="red")


def test_messages_are_translated() -> None:
    shown: dict[str, str] = {}
    for locale in ("fr", "it"):
        with use_locale(locale), pytest.raises(InputError) as refused:
            validated(MappingRuleIn, {**GOOD, "prefix": "706"}, LIBRARY)
        shown[locale] = refused.value.errors["prefix"]
    french, italian = shown["fr"], shown["it"]
    assert french != italian
    assert "706" in french and "706" in italian
    assert not french.startswith("Account prefix")
