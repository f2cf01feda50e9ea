-- The marker holds the ledger's epoch, '<generation>:<random>' ('<generation>:lost' once a loss was seen). A
-- marker that is gone where this client saw one, or that holds an epoch no newer than the client's but not its
-- own, means the data behind it was lost (a restart without persistence, a flush, a failover to an empty replica):
-- the marker is marked lost (':lost') so that every client refuses until an operator acknowledges (which writes a newer
-- epoch everywhere). A newer epoch than the client's is one an operator wrote: the client reads it and retries.
local function generation(epoch)
  return tonumber(string.sub(epoch, 1, string.find(epoch, ':', 1, true) - 1))
end

-- A period kind's candidates from the client, 'previous<FIELD>current<FIELD>next<FIELD>start<FIELD>end' (the
-- current one's bounds in Unix ms): the one the ledger's now falls in. So the period a call counts in is decided by
-- the deciding clock (the server's), however long the request waited in a queue on its way.
local function pick(candidates)
  local c = split(candidates, FIELD)
  if NOW < tonumber(c[4]) then return c[1] elseif NOW < tonumber(c[5]) then return c[2] end
  return c[3]
end

-- The loss marker, then the clock; day, week and month are the candidates of a call that counts in periods. Under
-- the server's clock, a client time AHEAD of the server's by more than the bound is refused: a request is always
-- run after it was sent, so no queueing explains it, and nothing is done yet. A client time behind cannot be told
-- from a request that waited (a stalled server, a slow fsync, a long script ahead of it), so it is never refused
-- here: the client measures that itself from the server's time every reply ends with (stamped).
local function guard(day, week, month)
  local epoch = ARGV[ARG_EPOCH]
  local marker = redis.call('GET', K_MARKER)
  if marker ~= epoch then
    if not marker and ARGV[ARG_SEEN] ~= '1' then
      redis.call('SET', K_MARKER, epoch)
    elseif marker and generation(marker) > generation(epoch) then
      return { STATUS_STALE }
    else
      redis.call('SET', K_MARKER, generation(epoch) .. ':lost')
      return { STATUS_LOST }
    end
  end
  local client = tonumber(ARGV[ARG_CLIENT_NOW])
  if ARGV[ARG_SERVER_CLOCK] == '1' then
    local time = redis.call('TIME')
    NOW = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    NOW_TEXT = num(NOW)
    if client - NOW > tonumber(ARGV[ARG_MAX_SKEW]) then return reply(GUARD_SERVER_NOW, { [GUARD_STATUS] = STATUS_SKEW, [GUARD_SERVER_NOW] = NOW_TEXT }) end
  else
    NOW, NOW_TEXT = client, ARGV[ARG_CLIENT_NOW]
  end
  if day then DAY, WEEK, MONTH = pick(day), pick(week), pick(month) end
  return nil
end

-- Every reply (but an error) ends with the ledger's now of the call ('' when the guard stopped it before reading
-- it): the client compares it with its own clock when the reply arrives.
local function stamped(reply)
  if type(reply) == 'table' and reply.err == nil and reply.ok == nil then reply[#reply + 1] = NOW_TEXT or '' end
  return reply
end
