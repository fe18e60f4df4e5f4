"""The top floor: URLs, the API's composition, pages every role shares, navigation, the demo.

It composes the apps below it; nothing below imports it (docs/adr/0008-floors.md).
"""
