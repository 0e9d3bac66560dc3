{
  "targets": [
    {
      "target_name": "line_encoder",
      "sources": ["native/line_encoder.c", "native/cisco_ios.c", "native/rfc5424.c", "native/bsd.c", "native/fields.c", "native/json_out.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
