"""people table (safety: the household's people and their roles)

Revision ID: b7e2d4c9a1f3
Revises: 7a3f9c2e4b10
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b7e2d4c9a1f3'
down_revision: str | Sequence[str] | None = '7a3f9c2e4b10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('display', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('people')
