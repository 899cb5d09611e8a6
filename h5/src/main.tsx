import { render } from 'react-dom'
import { BrowserRouter } from 'react-router-dom'
import { App } from './app.js'
import './styles.css'

render(
  <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
    <App />
  </BrowserRouter>,
  document.getElementById('root'),
)
