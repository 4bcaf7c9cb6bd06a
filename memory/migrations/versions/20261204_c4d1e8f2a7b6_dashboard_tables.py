"""dashboard tables: sign-in credentials, emergency stops, the robot's live status

Revision ID: c4d1e8f2a7b6
Revises: b7e2d4c9a1f3
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4d1e8f2a7b6'
down_revision: str | Sequence[str] | None = 'b7e2d4c9a1f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('credentials',
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('secret_hash', sa.String(length=256), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('estops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pressed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pressed_by', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_estops_pressed_at'), 'estops', ['pressed_at'], unique=False)
    op.create_table('robot_status',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('robot_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=True),
    sa.Column('goal', sa.Text(), nullable=True),
    sa.Column('subtask', sa.Text(), nullable=True),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('recent', sa.JSON(), nullable=False),
    sa.Column('world', sa.JSON(), nullable=False),
    sa.Column('world_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('robot_status')
    op.drop_index(op.f('ix_estops_pressed_at'), table_name='estops')
    op.drop_table('estops')
    op.drop_table('credentials')
