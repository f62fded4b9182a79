/** What every billing endpoint shares at the HTTP edge: the admin-scope guard on {@code /api/v1/admin/**}. */
package dev.chatplatform.billing.web;
