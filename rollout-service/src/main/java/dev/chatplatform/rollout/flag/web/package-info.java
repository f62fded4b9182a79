/** HTTP API of flags: admin CRUD, kill and revive, audit log; {@code POST /api/v1/flags/evaluate} for frontends. */
package dev.chatplatform.rollout.flag.web;
