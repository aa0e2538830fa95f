package io.atrium.search;

import io.atrium.bus.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Search filters of seed 000: task, file type, resource ids. Applied inside each engine, never after a top-k cut. */
record Filters(Long taskId, String fileType, List<Long> resourceIds) {

  static Filters fromJson(JsonObject json) {
    if (json == null) {
      return new Filters(null, null, null);
    }
    Object task = json.getValue("task_id");
    Object type = json.getValue("file_type");
    Object ids = json.getValue("resource_ids");
    if (task != null && !(task instanceof Number)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.task_id must be an integer", "filters.task_id");
    }
    if (type != null && !(type instanceof String)) {
      throw ErrorCode.INVALID_REQUEST.exception("filters.file_type must be a string", "filters.file_type");
    }
    List<Long> resourceIds = null;
    if (ids != null) {
      if (!(ids instanceof JsonArray array)) {
        throw ErrorCode.INVALID_REQUEST.exception("filters.resource_ids must be an array of integers", "filters.resource_ids");
      }
      resourceIds = new ArrayList<>();
      for (Object id : array) {
        if (!(id instanceof Number number)) {
          throw ErrorCode.INVALID_REQUEST.exception("filters.resource_ids must be an array of integers", "filters.resource_ids");
        }
        resourceIds.add(number.longValue());
      }
    }
    String fileType = type == null ? null : ((String) type).toLowerCase().replaceFirst("^\\.", "");
    return new Filters(task == null ? null : ((Number) task).longValue(), fileType, resourceIds);
  }

  boolean isEmpty() {
    return taskId == null && fileType == null && resourceIds == null;
  }

  void appendSql(StringBuilder sql, List<Object> params, String resourceAlias, String resourceIdColumn) {
    if (taskId != null) {
      sql.append(" AND ").append(resourceAlias).append(".task_id = ?");
      params.add(taskId);
    }
    if (fileType != null) {
      sql.append(" AND lower(").append(resourceAlias).append(".file_type) = ?");
      params.add(fileType);
    }
    if (resourceIds != null) {
      if (resourceIds.isEmpty()) {
        sql.append(" AND 0 = 1");
      } else {
        sql.append(" AND ").append(resourceIdColumn).append(" IN (")
            .append(resourceIds.stream().map(id -> "?").collect(Collectors.joining(","))).append(')');
        params.addAll(resourceIds);
      }
    }
  }
}
