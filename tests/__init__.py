"""gwcalc's test suite (a package, so tests import the shared helpers as tests.helpers)."""
