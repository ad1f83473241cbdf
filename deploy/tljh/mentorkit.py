# mentorkit as a service of The Littlest JupyterHub (TLJH), on a PostgreSQL store.
#
# Copy this file to /opt/tljh/config/jupyterhub_config.d/mentorkit.py, set the store's URL
# below, then: sudo tljh-config reload hub
#
# Once, before: install mentorkit into the hub's environment and make the programme
#   sudo /opt/tljh/hub/bin/pip install 'mentorkit[hub]'
#   sudo useradd --system --create-home --home-dir /var/lib/mentorkit mentorkit
#   sudo -u postgres createuser --pwprompt mentorkit && sudo -u postgres createdb -O mentorkit mentorkit
#   sudo -u mentorkit MENTORKIT_STORE=postgresql://... /opt/tljh/hub/bin/mentorkit init --name "..."
#   sudo -u mentorkit MENTORKIT_STORE=postgresql://... /opt/tljh/hub/bin/mentorkit people import people.csv
# (or move a laptop's programme across: mentorkit store copy ~/.local/share/mentorkit postgresql://...)
#
# People then open https://YOUR-HUB/services/mentorkit/ and sign in with their hub account;
# mentorkit knows them by the email address in the programme (a hub user named
# amara@example.org, or amara, is the person whose email is amara@example.org). Facilitators
# are hub users named in the programme as facilitators. Hub users who are not in the
# programme get a page saying so. Everyone keeps their own JupyterLab as before.
import os

c = get_config()  # noqa: F821 - TLJH runs this file inside its own configuration

STORE = os.environ.get(
    "MENTORKIT_STORE", "postgresql://mentorkit:CHANGE-ME@127.0.0.1:5432/mentorkit"
)

c.JupyterHub.services.append(  # TLJH keeps its idle culler in this list: append, do not replace
    {
        "name": "mentorkit",
        "url": "http://127.0.0.1:8866",
        "command": ["/opt/tljh/hub/bin/python3", "-m", "mentorkit", "serve"],
        "user": "mentorkit",  # not root: the service runs as this system user
        "cwd": "/var/lib/mentorkit",
        "environment": {
            "MENTORKIT_STORE": STORE,
            "MENTORKIT_DATA": "/var/lib/mentorkit",
            "HOME": "/var/lib/mentorkit",
        },
        "oauth_no_confirm": True,  # the hub does not ask "Authorize mentorkit?" each time
        "timeout": 120,
    }
)

# Every hub user may open the service (mentorkit itself refuses those not in the programme).
# JupyterHub 6 says it with c.JupyterHub.extra_user_scopes; TLJH ships JupyterHub 5:
c.JupyterHub.load_roles = [
    *[role for role in c.JupyterHub.load_roles if role.get("name") != "user"],
    {"name": "user", "scopes": ["self", "access:services!service=mentorkit"]},
]
