{
  "targets": [
    {
      "target_name": "cisco_line",
      "sources": ["native/cisco_line.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
