#!/usr/bin/env python3
"""Fails when a locked dependency needs a newer Rust than the workspace's
rust-version (Cargo.toml, [workspace.package]).

Every package that Cargo.lock resolves counts, dev-dependencies and every
platform's dependencies included: `cargo test` and a user's build on another
platform need them too. Run from anywhere; needs cargo and the registry's
sources (cargo downloads what is missing).

    scripts/check-msrv.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version_key(text: str) -> tuple[int, ...]:
    """"1.88" and "1.88.0" compare equal; missing parts count as 0."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main() -> int:
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    members = set(meta["workspace_members"])
    resolved = {node["id"] for node in meta["resolve"]["nodes"]}
    packages = [p for p in meta["packages"] if p["id"] in resolved]

    ours = {p["name"]: p.get("rust_version") for p in packages if p["id"] in members}
    declared = set(ours.values())
    if None in declared or len(declared) != 1:
        print("check-msrv: every workspace crate must take rust-version.workspace = true: "
              + ", ".join(f"{n}={v}" for n, v in sorted(ours.items())))
        return 1
    msrv = declared.pop()

    needed = sorted(((p["rust_version"], p["name"], p["version"]) for p in packages
                     if p["id"] not in members and p.get("rust_version")),
                    key=lambda row: version_key(row[0]))
    too_new = [row for row in needed if version_key(row[0]) > version_key(msrv)]
    if too_new:
        print(f"check-msrv: the workspace says rust-version = {msrv}, but Cargo.lock needs newer:")
        for rust, name, version in too_new:
            print(f"  {name} {version}: rust-version {rust}")
        print("Raise [workspace.package] rust-version in Cargo.toml (and the crates' READMEs),"
              " or lock older versions (cargo update -p NAME --precise VERSION).")
        return 1
    newest = needed[-1] if needed else ("(none)", "", "")
    print(f"check-msrv: rust-version {msrv}; {len(packages) - len(ours)} locked dependencies, "
          f"the newest need {newest[0]} ({newest[1]} {newest[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
