"""Tenant scoping holds for column-only selects and join targets, not only for selected entities."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from altjung.identity.models import Base, Membership, User
from altjung.kit.db import Database
from altjung.kit.tenancy import TenantUnset, tenant_context


@pytest.fixture
def two_sites(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/joins.db")
    Base.metadata.create_all(db.engine)
    sites = [uuid.uuid4(), uuid.uuid4()]
    for site in sites:
        with tenant_context(site), db.session() as session:
            user = User(email=f"{site}@example.org", display_name="Koordination")
            session.add(user)
            session.flush()
            session.add(Membership(user_id=user.id, role="coordinator"))
            session.commit()
    yield db, sites
    db.dispose()


def test_a_join_target_is_scoped_even_when_only_columns_of_another_table_are_selected(two_sites):
    db, (site_a, _site_b) = two_sites
    # Given users (platform-wide) joined to memberships (tenant-owned), selecting only user columns
    query = select(User.email).join(Membership, Membership.user_id == User.id)
    # When site A asks
    with tenant_context(site_a), db.session() as session:
        emails = session.scalars(query).all()
    # Then it sees its own member only
    assert emails == [f"{site_a}@example.org"]


def test_a_column_only_aggregate_over_tenant_data_is_scoped(two_sites):
    db, (site_a, _site_b) = two_sites
    with tenant_context(site_a), db.session() as session:
        assert session.scalar(select(func.count(Membership.id))) == 1


def test_a_join_onto_tenant_data_without_a_tenant_fails_closed(two_sites):
    db, _sites = two_sites
    with db.session() as session, pytest.raises(TenantUnset):
        session.scalars(select(User.email).join(Membership, Membership.user_id == User.id)).all()
