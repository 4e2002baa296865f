"""Per-site settings: a coordinator reads and edits their own site's (the tenant from the token);
a platform admin any site's."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields

from altjung.kit.auth import BEARER, current_principal, require
from altjung.kit.concurrency import IF_MATCH, etag, expected_version
from altjung.kit.problems import Unprocessable
from altjung.tenants import registry

own = Blueprint("site_settings", __name__, url_prefix="/api/v1/settings",
                description="Einstellungen des eigenen Standorts / Your site's settings")
admin = Blueprint("admin_site_settings", __name__, url_prefix="/api/v1/partner-sites",
                  description="Einstellungen eines Standorts / A site's settings (platform admins)")


class SettingsOut(Schema):
    version = fields.Integer()
    settings = fields.Dict(attribute="document")
    updated_at = fields.AwareDateTime()


class SettingsPatch(Schema):
    """Sections and fields to change (nested sections merge, lists are replaced); the whole
    document is validated after merging. ``version`` or If-Match is required."""

    settings = fields.Dict(required=True)
    version = fields.Integer()


def _change(site_id: UUID, data: dict):
    version = expected_version(data.get("version"), required=True)
    try:
        current = registry.change_settings(site_id, data["settings"], expected_version=version,
                                           actor=current_principal().subject)
    except ValidationError as err:
        raise Unprocessable("Die Einstellungen sind ungültig. / The settings are invalid.",
                            errors={"json": {"settings": err.messages}}) from None
    return current, etag(current.version)


@own.route("")
class OwnSettings(MethodView):
    @require("coordinator", "staff")
    @own.doc(**BEARER)
    @own.response(200, SettingsOut)
    def get(self):
        """Your partner site's settings."""
        current = registry.read_settings(current_principal().tenant_id)
        return current, etag(current.version)

    @require("coordinator")
    @own.doc(**IF_MATCH)
    @own.arguments(SettingsPatch)
    @own.response(200, SettingsOut)
    def patch(self, data: dict):
        """Change your partner site's settings (coordinators)."""
        return _change(current_principal().tenant_id, data)


@admin.route("/<uuid:site_id>/settings")
class SiteSettingsById(MethodView):
    @require("platform_admin", tenant=False)
    @admin.doc(**BEARER)
    @admin.response(200, SettingsOut)
    def get(self, site_id: UUID):
        """A partner site's settings (platform admins)."""
        current = registry.read_settings(site_id)
        return current, etag(current.version)

    @require("platform_admin", tenant=False)
    @admin.doc(**IF_MATCH)
    @admin.arguments(SettingsPatch)
    @admin.response(200, SettingsOut)
    def patch(self, data: dict, site_id: UUID):
        """Change a partner site's settings (platform admins)."""
        return _change(site_id, data)
