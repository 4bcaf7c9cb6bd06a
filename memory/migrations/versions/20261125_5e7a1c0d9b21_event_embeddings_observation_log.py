"""event embeddings, observation log and its compacted form

Revision ID: 5e7a1c0d9b21
Revises: 14b5babb1ebd
Create Date: 2026-11-25 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e7a1c0d9b21'
down_revision: str | Sequence[str] | None = '14b5babb1ebd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing events keep their rows; their embedding stays NULL until the embedding
    # searcher backfills it on first use.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('embedding', sa.LargeBinary(), nullable=True))

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('object', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('room', sa.String(length=128), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_object_time', ['object', 'time'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_time'), ['time'], unique=False)

    op.create_table('observation_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('room', sa.String(length=128), nullable=True),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('object', 'place', 'day', name='uq_observation_day')
    )
    with op.batch_alter_table('observation_days', schema=None) as batch_op:
        batch_op.create_index('ix_observation_days_day', ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_days_object'), ['object'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('observation_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_days_object'))
        batch_op.drop_index('ix_observation_days_day')

    op.drop_table('observation_days')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_time'))
        batch_op.drop_index('ix_observations_object_time')

    op.drop_table('observations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('embedding')
