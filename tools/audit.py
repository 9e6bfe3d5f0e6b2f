"""`make audit`: pip-audit of the pinned runtime requirements, with an outcome that cannot be misread.

Exit 0: every package was audited and none has a known vulnerability.
Exit 1: vulnerabilities were found (listed), or pip-audit itself failed.
Exit 2: some packages could NOT be audited (the vulnerability service was unreachable): nothing is known.
pip-audit alone exits 0 in that last case, printing "No known vulnerabilities found".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ["requirements.txt", "requirements-argos.txt"]


def main() -> int:
    command = [str(Path(sys.executable).with_name("pip-audit")), "--no-deps", "--disable-pip",
               "--progress-spinner", "off", "--format", "json"]
    for name in REQUIREMENTS:
        command += ["-r", str(ROOT / name)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print(f"audit: FAILED: pip-audit exited {result.returncode} without a report", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = len(dependencies) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in: {fixes})")
    print(f"audit: {len(dependencies)} pinned packages, {audited} audited, {len(vulnerable)} vulnerable, "
          f"{len(skipped)} not audited")
    if vulnerable:
        print("audit: FAILED: known vulnerabilities above", file=sys.stderr)
        return 1
    if skipped:
        print(f"audit: INCOMPLETE: {len(skipped)} packages could not be audited, e.g. {skipped[0]['skip_reason']!r}; "
              "the vulnerability service (PyPI's JSON API, or OSV with -s osv) is probably unreachable from here, "
              "so NOTHING is known about them", file=sys.stderr)
        return 2
    print("audit: OK: no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
