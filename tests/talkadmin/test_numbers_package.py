"""The `numbers` app and the standard library's `numbers` module work whichever loads first."""

import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

CHECK = """
import decimal, fractions, numbers
assert isinstance(decimal.Decimal(1), numbers.Number)
assert isinstance(fractions.Fraction(1, 2), numbers.Rational)
assert isinstance(3, numbers.Integral) and not isinstance(3.5, numbers.Integral)
import numbers.apps
assert numbers.apps.PhoneNumbersConfig.name == "numbers"
print("ok")
"""


@pytest.mark.parametrize(
    "first",
    [
        "import numbers",
        "import decimal",
        "import sys; sys.path.remove(''); import numbers; sys.path.insert(0, '')",
    ],
    ids=["app imported first", "app imported first by decimal", "standard module first"],
)
def test_both_meanings_of_numbers_work(first):
    result = subprocess.run(
        [sys.executable, "-c", f"{first}\nimport talkadmin\n{CHECK}"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
