"""The shipped HAProxy configuration (docs/deploy.md) is valid for Debian's haproxy and sticky."""
import subprocess
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "haproxy.cfg"


def test_haproxy_config_is_valid_and_sticky():
    checked = subprocess.run(["haproxy", "-c", "-f", str(CONFIG)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = CONFIG.read_text()
    assert "cookie SERVERID insert" in text      # uploads need every request on one replica
    assert text.count(" check cookie app") == 2
