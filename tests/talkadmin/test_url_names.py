"""Every URL name is used once: with two patterns of one name, {% url %} and reverse() reach
only the last one, and links to the other page quietly point at the wrong view (issue 20 found
two `import` names in the IVR admin URLs)."""

from collections import Counter

from tests.site_map import site_routes


def test_no_two_url_patterns_share_a_name():
    names = Counter(route.name for route in site_routes() if not route.name.endswith("None"))
    assert [name for name, count in names.items() if count > 1] == []


def test_the_ivr_imports_have_names_of_their_own():
    names = {route.name: route.pattern for route in site_routes()}
    assert names["ivr:import_new"].endswith("/import/")
    assert names["ivr:import_into"].endswith("/<int:ivr_id>/import/")
