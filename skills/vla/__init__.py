"""The built-in vision-language-action policy (System 1), one folder (docs/vla.md).

``configuration`` (sizes), ``modeling`` (``VLAModel``: image encoder, sentence embedding
and proprioception into a flow-matching action expert), ``processor`` (inputs and
outputs), ``data`` (training frames from LeRobotDataset v3 recordings), ``training``
(``housemind train vla``, resumable, seeded, DistributedDataParallel under ``torchrun``:
``distributed``), ``checkpoint`` (safetensors + config JSON), ``inference`` (ONNX Runtime
or torch), ``policy`` (the ``vla`` policy backend), ``evaluation`` and ``bench``. The
shipped checkpoint is package data in ``weights/homesim/``.

Nothing heavy is imported here: import the submodule you need (torch loads with it).
"""

__all__: list[str] = []
