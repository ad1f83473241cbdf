"""Behind JupyterHub: who a hub user is in the programme, what the hub's environment tells a
server, and the configurations shipped for The Littlest JupyterHub and Zero to JupyterHub."""

from __future__ import annotations

from pathlib import Path

import yaml
from traitlets.config import Config

from mentorkit.core import access
from mentorkit.core.hub_users import person_for_hub_user
from mentorkit.server.hub import hub_setting

ROOT = Path(__file__).resolve().parent.parent
BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL


def test_hub_users_are_known_by_their_email_address(store):
    programme = store.create_programme("P")
    people = store.add_people(
        programme.id,
        [
            ("Amara Okafor", "amara@example.org", access.hash_code(store, "A"), {}),
            ("Ben Hughes", "ben@example.org", access.hash_code(store, "B"), {}),
            ("Ben Other", "ben@other.example", access.hash_code(store, "C"), {}),
        ],
    )
    amara, ben, _other = people
    assert person_for_hub_user(store, "amara@example.org") == amara
    assert person_for_hub_user(store, "Amara@Example.org ") == amara  # hubs differ in case
    assert person_for_hub_user(store, "amara") == amara  # the address's first part, if unique
    assert person_for_hub_user(store, "ben@example.org") == ben
    assert person_for_hub_user(store, "ben") is None  # two people begin "ben@": say no
    assert person_for_hub_user(store, "carol") is None
    assert person_for_hub_user(store, "") is None


def test_the_hubs_environment_says_where_and_under_what_address():
    assert hub_setting({}) is None  # not started by a hub: access codes
    own = hub_setting(
        {
            "JUPYTERHUB_API_TOKEN": "t",
            "JUPYTERHUB_SERVICE_PREFIX": "/user/amara",
            "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:51234/user/amara/",
            "JUPYTERHUB_USER": "amara",
        }
    )
    assert own is not None
    assert (own.ip, own.port, own.prefix, own.user) == ("127.0.0.1", 51234, "/user/amara/", "amara")
    service = hub_setting(
        {
            "JUPYTERHUB_API_TOKEN": "t",
            "JUPYTERHUB_SERVICE_PREFIX": "/services/mentorkit/",
            "JUPYTERHUB_SERVICE_URL": "http://hub:8866",  # Kubernetes: the proxy's name for us
        }
    )
    assert service is not None
    assert (service.ip, service.port, service.user) == ("0.0.0.0", 8866, "")


def test_the_littlest_jupyterhub_configuration_adds_the_service_and_keeps_the_culler():
    c = Config()
    c.JupyterHub.services = [{"name": "cull-idle", "command": ["cull"]}]
    c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["cull-idle"]}]
    source = (ROOT / "deploy" / "tljh" / "mentorkit.py").read_text()
    exec(compile(source, "mentorkit.py", "exec"), {"get_config": lambda: c})  # as TLJH does
    names = [s["name"] for s in c.JupyterHub.services]
    assert names == ["cull-idle", "mentorkit"]
    service = c.JupyterHub.services[1]
    assert service["command"][-2:] == ["mentorkit", "serve"]
    assert service["oauth_no_confirm"] is True
    assert "MENTORKIT_STORE" in service["environment"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert "idle-culler" in roles
    assert "access:services!service=mentorkit" in roles["user"]["scopes"]


def test_the_zero_to_jupyterhub_values_start_mentorkit_for_each_person():
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    single = values["singleuser"]
    assert single["cmd"] == ["python3", "-m", "mentorkit", "serve"]
    store = single["extraEnv"]["MENTORKIT_STORE"]["valueFrom"]["secretKeyRef"]
    assert store == {"name": "mentorkit-store", "key": "url"}
    assert single["storage"]["type"] == "none"
