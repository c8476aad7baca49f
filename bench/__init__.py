"""Frontline Atlas benchmarks: ``python -m bench [--json OUT.json] [--quick] [--only KEY...]``.

Speed, memory and scale of the public functions of :mod:`geo`, side by side with the naive
approaches, in one run. See ``bench/README.md``.
"""

__all__: list[str] = []
