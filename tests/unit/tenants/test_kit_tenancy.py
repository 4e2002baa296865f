"""The kit's ORM scoping holds when application code forgets the tenant, or names the wrong one."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import String, UniqueConstraint, delete, insert, select, text, update
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit import tenancy
from altjung.kit.db import Database, make_base
from altjung.kit.tenancy import TenantMismatch, TenantScoped, TenantUnset, tenant_context, tenant_or_none

Base = make_base()
SITE_A, SITE_B = uuid.uuid4(), uuid.uuid4()


class Note(TenantScoped, Base):
    __tablename__ = "notes"
    __table_args__ = (UniqueConstraint("tenant_id", "label"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    label: Mapped[str] = mapped_column(String(40))


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'notes.db'}")
    Base.metadata.create_all(database.engine)
    for site, labels in ((SITE_A, ("a1", "a2")), (SITE_B, ("b1",))):
        with tenant_context(site), database.session() as session:
            session.add_all(Note(label=label) for label in labels)
            session.commit()
    yield database
    database.dispose()


def labels(db: Database, site: uuid.UUID) -> list[str]:
    with tenant_context(site), db.session() as session:
        return sorted(session.scalars(select(Note.label)))


def test_a_query_without_a_filter_sees_only_the_current_tenant(db):
    assert labels(db, SITE_A) == ["a1", "a2"]
    assert labels(db, SITE_B) == ["b1"]


def test_tenant_data_without_a_tenant_fails_closed(db):
    with db.session() as session:
        with pytest.raises(TenantUnset):
            session.scalars(select(Note)).all()
        with pytest.raises(TenantUnset):
            session.execute(update(Note).values(label="x"))
        session.add(Note(label="orphan", tenant_id=SITE_A))  # even naming a tenant explicitly
        with pytest.raises(TenantUnset):
            session.flush()


def test_bulk_update_and_delete_touch_only_the_current_tenant(db):
    with tenant_context(SITE_B), db.session() as session:
        assert session.execute(update(Note).values(label="hijacked")).rowcount == 1
        assert session.execute(delete(Note).where(Note.label == "a1")).rowcount == 0
        session.commit()
    assert labels(db, SITE_A) == ["a1", "a2"]


def test_bulk_insert_is_stamped_and_cannot_name_another_tenant(db):
    with tenant_context(SITE_B), db.session() as session:
        session.execute(insert(Note), [{"label": "b2"}, {"label": "b3"}])
        session.execute(insert(Note).values(label="b4"))
        with pytest.raises(TenantMismatch):
            session.execute(insert(Note), [{"label": "sneaky", "tenant_id": SITE_A}])
        with pytest.raises(TenantMismatch):
            session.execute(insert(Note).values(label="sneaky", tenant_id=SITE_A))
        session.commit()
    assert labels(db, SITE_B) == ["b1", "b2", "b3", "b4"]
    assert labels(db, SITE_A) == ["a1", "a2"]


def test_an_object_of_another_tenant_cannot_be_written_or_deleted(db):
    with tenant_context(SITE_A), db.session() as session:
        note = session.scalars(select(Note)).first()
    with tenant_context(SITE_B), db.session() as session:
        mine = session.merge(note, load=False)
        mine.label = "stolen"
        with pytest.raises(TenantMismatch):
            session.flush()
        session.rollback()
        session.add(Note(label="planted", tenant_id=SITE_A))
        with pytest.raises(TenantMismatch):
            session.flush()


def test_one_transaction_serves_one_tenant(db):
    with tenant_context(SITE_A), db.session() as session:
        session.scalars(select(Note)).all()  # the transaction begins for site A
        with tenant_context(SITE_B), pytest.raises(TenantMismatch):
            session.scalars(select(Note)).all()
        session.commit()
        with tenant_context(SITE_B):  # a new transaction may serve another tenant
            assert [n.label for n in session.scalars(select(Note))] == ["b1"]


def test_raw_sql_is_not_filtered_by_the_orm_which_is_why_postgres_has_rls(db):
    # Documented limit: text() bypasses the criteria; test_isolation_postgres covers it in the database.
    with tenant_context(SITE_B), db.session() as session:
        assert session.execute(text("SELECT count(*) FROM notes")).scalar() == 3


def test_a_request_never_inherits_the_tenant_of_the_one_before_it():
    # Given one thread serving requests one after another (like a gunicorn sync worker)
    app = Flask("t")
    tenancy.init_app(app)
    seen: list[object] = []

    @app.get("/login-as-a")
    def login():
        tenancy.set_request_tenant(SITE_A)
        return "ok"

    @app.get("/public")
    def public():
        seen.append(tenant_or_none())
        return "ok"

    client = app.test_client()
    client.get("/login-as-a")
    client.get("/public")
    # Then the public request ran with no tenant at all
    assert seen == [None]


def test_another_tenants_object_by_primary_key_is_none(db):
    with tenant_context(SITE_A), db.session() as session:
        note_id = session.scalars(select(Note.id)).first()
    with tenant_context(SITE_B), db.session() as session:
        assert session.get(Note, note_id) is None
