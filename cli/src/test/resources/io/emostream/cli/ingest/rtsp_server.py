"""A live RTSP camera for the ingest tests: GStreamer's RTSP server, over TCP only, serving a moving test pattern
(160x120 H.264 at 10 fps) at rtsp://127.0.0.1:PORT/cam. Run with Debian's python3: rtsp_server.py PORT.
Prints "ready" once it listens."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true pattern=ball"
                   " ! video/x-raw,width=160,height=120,framerate=10/1"
                   " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10"
                   " ! rtph264pay name=pay0 pt=96 config-interval=1 )")
factory.set_shared(True)
factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    sys.exit("cannot listen on 127.0.0.1:" + sys.argv[1])
print("ready", flush=True)
GLib.MainLoop().run()
