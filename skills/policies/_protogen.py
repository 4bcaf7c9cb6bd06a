"""Regenerate the committed gRPC stubs of ``lerobot_services.proto`` (``make proto``).

Why committed: installing housemind must not need ``grpcio-tools`` (a compiler with its own
protobuf pin) and ``setup.py`` stays a plain package map. The stubs pin what they were
generated with: ``grpcio >= 1.85.1`` and ``protobuf >= 7.35.1, < 8`` (the ``remote`` extra).
``tests/skills/test_lerobot_stubs.py`` regenerates into a temporary folder and fails when
the committed files differ.

Run ``python -m housemind.skills.policies._protogen [OUT_DIR]`` (needs ``grpcio-tools``, in
the ``dev`` extra); without ``OUT_DIR`` it rewrites the stubs beside the proto.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

__all__ = ["PROTO", "STUBS", "generate"]

HERE = Path(__file__).resolve().parent
PROTO = HERE / "lerobot_services.proto"
#: The generated files, kept beside the proto.
STUBS = ("lerobot_services_pb2.py", "lerobot_services_pb2.pyi", "lerobot_services_pb2_grpc.py")


def generate(out_dir: Path | None = None) -> list[Path]:
    """Compile :data:`PROTO` and write :data:`STUBS` into ``out_dir`` (default: beside it).

    The proto is compiled as ``housemind/skills/policies/lerobot_services.proto`` so that the
    generated service module imports its messages as a package module.

    Raises:
        RuntimeError: if protoc fails.
    """
    from grpc_tools import protoc

    out = Path(out_dir) if out_dir is not None else HERE
    with tempfile.TemporaryDirectory() as tmp:
        rel = Path("housemind/skills/policies/lerobot_services.proto")
        (Path(tmp) / rel.parent).mkdir(parents=True)
        shutil.copy(PROTO, Path(tmp) / rel)
        args = [
            "grpc_tools.protoc",
            f"-I{tmp}",
            f"--python_out={tmp}",
            f"--pyi_out={tmp}",
            f"--grpc_python_out={tmp}",
            str(Path(tmp) / rel),
        ]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed on {PROTO}")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in STUBS:
            target = out / name
            shutil.copy(Path(tmp) / rel.parent / name, target)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(path)
