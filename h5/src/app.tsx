import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react'
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom'
import { SIGNED_OUT } from './api.js'
import { loadFields, resources } from './resources.js'
import { session } from './session.js'
import { ConsoleLayout } from './components/Console.js'
import { Loading } from './components/Status.js'

// One chunk per screen: the first load is the login (or home) and the shell only.
const Login = lazy(() => import('./pages/Login.js'))
const Home = lazy(() => import('./pages/Home.js'))
const RecycleBin = lazy(() => import('./pages/RecycleBin.js'))
const Inbox = lazy(() => import('./pages/Inbox.js'))
const Reports = lazy(() => import('./pages/Reports.js'))
const Settings = lazy(() => import('./pages/settings/index.js'))
const Import = lazy(() => import('./pages/Import.js'))
const Merge = lazy(() => import('./pages/Merge.js'))
const Board = lazy(() => import('./pages/Board.js'))
const Approvals = lazy(() => import('./pages/Approvals.js'))
const Search = lazy(() => import('./pages/Search.js'))
const RecordList = lazy(() => import('./components/RecordList.js').then((m) => ({ default: m.RecordList })))
const RecordDetail = lazy(() =>
  import('./components/RecordDetail.js').then((m) => ({ default: m.RecordDetail })),
)
const RecordForm = lazy(() => import('./components/RecordForm.js').then((m) => ({ default: m.RecordForm })))

/** modules with screens; the rest show 即将上线 on the home grid */
const available: ReadonlySet<string> = new Set([
  ...Object.keys(resources),
  'recycle-bin',
  'reports',
  'settings',
  'approvals',
])

function RequireSession({ children }: { children: ReactElement }) {
  const location = useLocation()
  if (session.token()) return children
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
}

/** A 401 (session expired or revoked) sends the user back to the login page. */
function useSignedOutRedirect() {
  const navigate = useNavigate()
  useEffect(() => {
    const onSignedOut = () => navigate('/login', { replace: true })
    window.addEventListener(SIGNED_OUT, onSignedOut)
    return () => window.removeEventListener(SIGNED_OUT, onSignedOut)
  }, [navigate])
}

/** The screens wait for the tenant's field definitions (字段管理), read once a session starts. */
function WithFields({ children }: { children: ReactElement }) {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    // without them (an error) the screens show the built-in fields
    void loadFields()
      .catch(() => undefined)
      .then(() => setReady(true))
  }, [])
  return ready ? children : <Loading />
}

const guarded = (element: ReactElement) => (
  <RequireSession>
    <WithFields>{element}</WithFields>
  </RequireSession>
)

export function App() {
  useSignedOutRedirect()
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route element={guarded(<ConsoleLayout />)}>
          <Route path="/" element={<Home available={available} />} />
          <Route path="/opportunities/board" element={<Board />} />
          <Route path="/search" element={<Search />} />
          {Object.entries(resources).map(([path, resource]) => [
            <Route key={path} path={`/${path}`} element={<RecordList key={path} resource={resource} />} />,
            <Route
              key={`${path}/new`}
              path={`/${path}/new`}
              element={<RecordForm key={`${path}/new`} resource={resource} />}
            />,
            <Route
              key={`${path}/:id`}
              path={`/${path}/:id`}
              element={<RecordDetail key={path} resource={resource} />}
            />,
            <Route
              key={`${path}/:id/edit`}
              path={`/${path}/:id/edit`}
              element={<RecordForm key={`${path}/edit`} resource={resource} />}
            />,
          ])}
          <Route path="/approvals" element={<Approvals />} />
          <Route path="/approvals/:id" element={<Approvals />} />
          <Route path="/recycle-bin" element={<RecycleBin />} />
          <Route path="/inbox" element={<Inbox />} />
          <Route path="/reports" element={<Reports />} />
          <Route path="/settings/*" element={<Settings />} />
          <Route path="/import" element={<Import />} />
          <Route path="/import/:collection" element={<Import />} />
          <Route path="/customers/:id/merge" element={<Merge />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  )
}
