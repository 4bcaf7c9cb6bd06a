"""Ordering groceries: a small protocol between the robot's runtime and a grocery service.

The runtime closes the shopping loop through :class:`GroceryService`: a shopping chore
orders what the shopping list holds, the service answers with a :class:`Delivery` (what
it accepted, what it cannot supply, when the delivery is due), and later the delivery is
put away. HomeSim implements it (:class:`housemind.sim.home.grocery.HomeSimGrocery`: a
bag of the ordered items appears at the front door some hours later); on a real robot it
is a hand-off to an ordering service behind the same two methods.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

__all__ = ["Delivery", "GroceryService"]


class Delivery(BaseModel):
    """An order and its delivery.

    Attributes:
        id: The order's id.
        items: What will be delivered (normalised names, ``"milk"``).
        unavailable: What was ordered but cannot be supplied.
        ordered_at: When it was ordered.
        due_at: When it will be at the front door.
        status: ``on_the_way`` or ``delivered``.
    """

    id: str
    items: list[str] = Field(default_factory=list)
    unavailable: list[str] = Field(default_factory=list)
    ordered_at: datetime
    due_at: datetime
    status: str = "on_the_way"


@runtime_checkable
class GroceryService(Protocol):
    """Somewhere to order groceries from."""

    def order(self, items: list[str]) -> Delivery:
        """Order ``items``; the delivery as the service promises it.

        Raises:
            ValueError: for an empty order.
        """
        ...

    def deliveries(self) -> list[Delivery]:
        """Orders placed through this service, oldest first, with their status now."""
        ...
