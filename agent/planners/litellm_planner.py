"""The ``litellm`` planner backend: any model litellm reaches, hosted or on a local server.

Select it with ``--planner litellm:<provider/model>`` (``--api-base URL`` for a local
OpenAI-compatible server), in a chain such as ``litellm:openai/gpt-4o-mini,symbolic``, or
in the config file (see ``docs/planners.md``). Keys come from the provider's usual
environment variable (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``, ...). litellm itself is
imported on the first request.
"""

from __future__ import annotations

from housemind.agent.llm import ModelClient, ResponseFormat
from housemind.agent.planners.base import register_planner
from housemind.agent.planners.model import ModelPlanner

__all__ = ["litellm_planner"]


@register_planner("litellm")
def litellm_planner(
    model: str,
    *,
    api_base: str | None = None,
    api_key: str | None = None,
    timeout_s: float = 60.0,
    retries: int = 1,
    response_format: ResponseFormat = "auto",
    images: int = 1,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    mock_response: str | None = None,
) -> ModelPlanner:
    """A :class:`~agent.planners.model.ModelPlanner` over :class:`~agent.llm.ModelClient`.

    Args:
        model: litellm model name (``"openai/gpt-4o-mini"``, ``"ollama/qwen2.5vl"``,
            ``"openai/<served name>"`` with ``api_base`` for a local server).
        api_base: Server URL (None: the provider's default).
        api_key: Key (None: the provider's environment variable).
        timeout_s: Per-request timeout.
        retries: Extra attempts on transient errors before the chain moves on.
        response_format: How the plan's JSON schema is requested
            (:data:`~agent.llm.ResponseFormat`).
        images: Camera images per request (0 for a text-only model).
        temperature: Sampling temperature (0: repeatable plans).
        max_tokens: Reply length limit.
        mock_response: A canned reply litellm returns without any network (tests).

    Raises:
        ValueError: An empty model name or bad option values.
    """
    if not model or not model.strip():
        raise ValueError(
            "the litellm backend needs a model, e.g. --planner litellm:openai/gpt-4o-mini"
        )
    client = ModelClient(
        model.strip(),
        api_base=api_base,
        api_key=api_key,
        timeout_s=timeout_s,
        retries=retries,
        response_format=response_format,
        temperature=temperature,
        max_tokens=max_tokens,
        mock_response=mock_response,
    )
    return ModelPlanner(client, name=f"litellm:{model.strip()}", images=images)
