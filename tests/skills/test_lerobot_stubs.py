"""The committed gRPC stubs match lerobot_services.proto, and the proto matches LeRobot's."""

import pytest

pytest.importorskip("grpc", reason="the 'remote' extra is not installed")


def test_committed_stubs_are_what_protoc_generates(tmp_path):
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the 'dev' extra) is not installed")
    from housemind.skills.policies import _protogen

    for fresh in _protogen.generate(tmp_path):
        committed = _protogen.HERE / fresh.name
        assert committed.read_text() == fresh.read_text(), (
            f"{committed.name} is stale: run 'make proto' and commit the result"
        )


def test_the_service_is_lerobots_field_by_field():
    from google.protobuf.descriptor import FieldDescriptor as F

    from housemind.skills.policies import lerobot_services_pb2 as pb

    service = pb.DESCRIPTOR.services_by_name["AsyncInference"]
    assert service.full_name == "transport.AsyncInference"
    methods = {
        m.name: (m.input_type.full_name, m.output_type.full_name, m.client_streaming)
        for m in service.methods
    }
    assert methods == {
        "SendObservations": ("transport.Observation", "transport.Empty", True),
        "GetActions": ("transport.Empty", "transport.Actions", False),
        "SendPolicyInstructions": ("transport.PolicySetup", "transport.Empty", False),
        "Ready": ("transport.Empty", "transport.Empty", False),
    }
    fields = {
        name: [(f.name, f.number, f.type) for f in msg.fields]
        for name, msg in pb.DESCRIPTOR.message_types_by_name.items()
    }
    assert fields == {
        "Observation": [("transfer_state", 1, F.TYPE_ENUM), ("data", 2, F.TYPE_BYTES)],
        "Actions": [("data", 1, F.TYPE_BYTES)],
        "PolicySetup": [("data", 1, F.TYPE_BYTES)],
        "Empty": [],
    }
    states = pb.DESCRIPTOR.enum_types_by_name["TransferState"]
    assert [(v.name, v.number) for v in states.values] == [
        ("TRANSFER_UNKNOWN", 0),
        ("TRANSFER_BEGIN", 1),
        ("TRANSFER_MIDDLE", 2),
        ("TRANSFER_END", 3),
    ]
