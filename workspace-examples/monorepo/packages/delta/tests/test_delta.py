# Shipped in the sdist ([tool.house].include) but not in the wheel.
from delta import banner


def test_banner():
    assert banner() == "delta says hi"
