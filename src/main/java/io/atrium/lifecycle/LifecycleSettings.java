package io.atrium.lifecycle;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** The sidecar section of conf/atrium.yaml: what tells atrium its parent has gone. */
record LifecycleSettings(String parent, long heartbeatTimeoutS) {

  static LifecycleSettings fromJson(JsonObject json) {
    ConfigSection sidecar = new ConfigSection("sidecar", json);
    return new LifecycleSettings(sidecar.string("parent"), sidecar.longInteger("heartbeat_timeout_s"));
  }
}
