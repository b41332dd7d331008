"""Phone numbers: the pages and use cases for a company's Zendesk Talk phone numbers.

This package is also Python's standard `numbers` module: see core/numbers_package.py.
"""

from core.numbers_package import load_standard_definitions

load_standard_definitions(globals())
